import { EdrProductCode, SocSeverity } from '@kanshi/events';
import type { InventoryEndpoint } from '../assets/assets.repository';
import type { IocHit } from '../iocs/ioc-matcher';
import type { FileReputation } from '../reputation/virustotal.client';
import { SeverityDecision } from './decide-severity';
import { RuleMatch } from './rule-engine.port';
import { StoredAction, StoredEndpoint, StoredReason } from './verdict.entity';

// Built-in countermeasures, in English and Japanese, beside the ones rules carry.
export const ACTIONS = {
  isolate: { text: 'Isolate the endpoint from the network until it is investigated or rebuilt', textJa: '調査または再構築が済むまで端末をネットワークから隔離してください' },
  collectSample: { text: 'Collect the sample (file) from the endpoint for analysis', textJa: '端末から検体（ファイル）を回収し、解析してください' },
  removeMalware: { text: 'Remove the remaining malware from the endpoint and run a full scan', textJa: '端末に残っているマルウェアを駆除し、フルスキャンを実施してください' },
  blockDestination: { text: 'Block the destination (IP address, domain or URL) at the firewall or proxy', textJa: '宛先（IP アドレス、ドメイン、URL）をファイアウォールまたはプロキシでブロックしてください' },
  resetCredentials: { text: 'Reset the credentials of the user account involved and review its recent sign-ins', textJa: '関係するユーザーアカウントの認証情報をリセットし、最近のサインインを確認してください' },
  monthly: { text: 'No action needed now; the alert is counted in the monthly report', textJa: '現時点での対応は不要です。月次レポートで集計します' },
  manualTriage: { text: 'An analyst triages the alert by hand', textJa: 'アナリストが手動でアラートを判断します' },
} as const satisfies Record<string, StoredAction>;

export interface VerdictFacts {
  decision: SeverityDecision;
  blocked: boolean | null;
  remainsOnEndpoint: boolean;
  rules: RuleMatch[];
  iocHits: IocHit[];
  reputations: FileReputation[];
  endpoints: StoredEndpoint[];
  criticalAssets: { hostName: string | null; ip: string | null; note: string }[];
  // The endpoints of endpoint-response's inventory the alert resolved to.
  managedEndpoints?: InventoryEndpoint[];
  hasUser: boolean;
  sampleHashes: string[];
}

export interface Explanation {
  reasons: StoredReason[];
  actions: StoredAction[];
  isolationRecommended: boolean;
}

const NETWORK_IOC_TYPES: ReadonlySet<string> = new Set(['IPV4', 'IPV6', 'DOMAIN', 'URL']);

// What is happening, how dangerous it is, what to do (the seed's analysis report), for one verdict.
export function explainVerdict(f: VerdictFacts): Explanation {
  const reasons: StoredReason[] = [];
  for (const m of f.rules) {
    reasons.push({
      kind: 'RULE',
      text: m.kanshi?.reason.en ?? `Detection rule "${m.title}" matched (level ${m.level})`,
      textJa: m.kanshi?.reason.ja ?? `検知ルール「${m.title}」に一致しました（レベル: ${m.level}）`,
      attackTechniques: m.attackTechniques,
    });
    if (m.correlation) {
      const c = m.correlation;
      reasons.push({
        kind: 'CORRELATION',
        text: `Correlated: ${c.count} related alerts (${c.type}) for ${c.groupKey} since ${new Date(c.firstAt).toISOString()}`,
        textJa: `相関分析: ${c.groupKey} について関連するアラートが ${c.count} 件あります（${c.type}、${new Date(c.firstAt).toISOString()} 以降）`,
        attackTechniques: m.attackTechniques,
      });
    }
  }
  for (const h of f.iocHits) {
    reasons.push({
      kind: 'IOC',
      text: `${h.field} ${h.value} is on the IOC list "${h.listName}" (source ${h.source}, confidence ${h.confidence})`,
      textJa: `${h.field} の ${h.value} が IOC リスト「${h.listName}」に該当します（提供元 ${h.source}、確度 ${h.confidence}）`,
      attackTechniques: [],
    });
  }
  for (const r of f.reputations.filter((x) => x.found)) {
    const engines = r.detectedBy.slice(0, 3).map((d) => d.engine);
    const by = engines.length ? ` (${engines.join(', ')}${r.detectedBy.length > engines.length ? ', ...' : ''})` : '';
    reasons.push({
      kind: 'REPUTATION',
      text: `Sample ${r.hash}: ${r.detectionRatio} antivirus engines flag it as malicious${by}`,
      textJa: `検体 ${r.hash}: ${r.detectionRatio} のアンチウイルスエンジンが悪性と判定しています${by}`,
      attackTechniques: [],
    });
  }
  reasons.push(blockedReason(f));
  for (const a of f.criticalAssets) {
    const name = [a.hostName, a.ip].filter(Boolean).join(' / ');
    reasons.push({
      kind: 'ASSET',
      text: `${name} is a critical asset (${a.note})${f.decision.raisedByAsset ? ': severity raised one level' : ''}`,
      textJa: `${name} は重要資産です（${a.note}）${f.decision.raisedByAsset ? '。重要度を 1 段階引き上げました' : ''}`,
      attackTechniques: [],
    });
  }
  for (const m of f.managedEndpoints ?? []) reasons.push(managedEndpointReason(m));

  const severity: SocSeverity = f.decision.severity;
  const isolationRecommended = f.endpoints.length > 0 && (severity === 'HIGH' || f.rules.some((m) => m.kanshi?.isolate === true));
  const actions: StoredAction[] = [];
  const add = (a: StoredAction) => {
    if (!actions.some((x) => x.text === a.text)) actions.push(a);
  };
  if (isolationRecommended) add(ACTIONS.isolate);
  for (const m of f.rules) for (const a of m.kanshi?.actions ?? []) add({ text: a.en, textJa: a.ja });
  if (severity !== 'LOW' || f.decision.threat) {
    if (f.sampleHashes.length > 0) add(ACTIONS.collectSample);
    if (f.remainsOnEndpoint && (f.decision.basis === 'PREVENTED_REMAINS' || f.decision.threat)) add(ACTIONS.removeMalware);
    if (f.iocHits.some((h) => NETWORK_IOC_TYPES.has(h.type)) && f.blocked !== true) add(ACTIONS.blockDestination);
    if (f.hasUser && severity === 'HIGH') add(ACTIONS.resetCredentials);
  }
  if (actions.length === 0) add(severity === 'LOW' ? ACTIONS.monthly : ACTIONS.collectSample);
  return { reasons, actions, isolationRecommended };
}

const EDR_NAMES: Record<EdrProductCode, string> = { CROWDSTRIKE_FALCON: 'CrowdStrike Falcon', CARBON_BLACK: 'Carbon Black', CYBEREASON: 'Cybereason', FIREEYE_HX: 'FireEye HX' };

// What the inventory says of an endpoint: its EDR agent, and so whether it can be isolated.
function managedEndpointReason(m: InventoryEndpoint): StoredReason {
  const name = m.ips.length ? `${m.hostName} (${m.ips.slice(0, 3).join(', ')})` : m.hostName;
  const en = [m.os ? `OS ${m.os}` : null, m.lastSeenAt ? `last seen ${m.lastSeenAt.toISOString()}` : null].filter(Boolean).join(', ');
  const ja = [m.os ? `OS ${m.os}` : null, m.lastSeenAt ? `最終確認 ${m.lastSeenAt.toISOString()}` : null].filter(Boolean).join('、');
  if (m.edrProduct && m.agentId) {
    const edr = EDR_NAMES[m.edrProduct] ?? m.edrProduct;
    const detail = `agent ${m.agentId}${en ? `, ${en}` : ''}`;
    const detailJa = `エージェント ${m.agentId}${ja ? `、${ja}` : ''}`;
    return m.isolated
      ? { kind: 'ASSET', text: `${name} is a managed endpoint with a ${edr} agent (${detail}): it is isolated already`, textJa: `${name} は ${edr} エージェントが導入された管理対象端末です（${detailJa}）。既に隔離されています`, attackTechniques: [] }
      : { kind: 'ASSET', text: `${name} is a managed endpoint with a ${edr} agent (${detail}): it can be isolated`, textJa: `${name} は ${edr} エージェントが導入された管理対象端末です（${detailJa}）。隔離できます`, attackTechniques: [] };
  }
  return {
    kind: 'ASSET',
    text: `${name} is a managed endpoint without an EDR agent${en ? ` (${en})` : ''}: it cannot be isolated from Kanshi`,
    textJa: `${name} は EDR エージェントのない管理対象端末です${ja ? `（${ja}）` : ''}。Kanshi からは隔離できません`,
    attackTechniques: [],
  };
}

function blockedReason(f: VerdictFacts): StoredReason {
  const blockedMeans = f.rules.find((m) => m.kanshi?.blockedMeans)?.kanshi?.blockedMeans;
  if (f.blocked === true) {
    const remains = f.remainsOnEndpoint;
    return {
      kind: 'BLOCKED',
      text: blockedMeans?.en ?? `The sensor blocked it (blocked or reset)${remains ? ', but a file or process remains on the endpoint' : ''}`,
      textJa: blockedMeans?.ja ?? `センサーが防御しました（ブロックまたはリセット）${remains ? 'が、端末にファイルまたはプロセスが残っています' : ''}`,
      attackTechniques: [],
    };
  }
  if (f.blocked === false)
    return { kind: 'BLOCKED', text: 'The sensor did not block it: the attack may be in progress', textJa: 'センサーは防御していません。攻撃が進行中の可能性があります', attackTechniques: [] };
  return { kind: 'BLOCKED', text: 'The sensor did not say whether it blocked it; treated as not blocked', textJa: 'センサーは防御の有無を示していません。防御されていないものとして扱います', attackTechniques: [] };
}

export function manualTriageReason(error: string): StoredReason {
  const short = error.slice(0, 500);
  return {
    kind: 'MANUAL_TRIAGE',
    text: `Automatic analysis failed (${short}): an analyst must triage this alert`,
    textJa: `自動分析に失敗しました（${short}）。アナリストによる判断が必要です`,
    attackTechniques: [],
  };
}
