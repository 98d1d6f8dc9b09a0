-- Run once when the cluster is created (CloudNativePG postInitApplicationSQLRefs), in the
-- application database, and by the tests against a local PostgreSQL. Each service gets a role
-- that owns its schema and its job queue's schema (<schema>_jobs) and can do nothing else:
-- no other schema, no CREATE in the database, nothing in public. Passwords and LOGIN come from
-- CloudNativePG's managed roles (secrets kanshi-pg-role-<service>).
DO $$
DECLARE
  s text;
BEGIN
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  REVOKE CREATE ON SCHEMA public FROM PUBLIC;
  FOREACH s IN ARRAY ARRAY['contracts', 'ingestion', 'analysis', 'incident', 'endpoint_response', 'reporting'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kanshi_' || s) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', 'kanshi_' || s);
    END IF;
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), 'kanshi_' || s);
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', s, 'kanshi_' || s);
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', s || '_jobs', 'kanshi_' || s);
    EXECUTE format('ALTER ROLE %I SET search_path = %I', 'kanshi_' || s, s);
  END LOOP;
END
$$;
