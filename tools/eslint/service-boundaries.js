// ESLint rule: services and the gateway import only from libs (and their own folder).
// A service never imports another service; the gateway never imports a service; libs never
// import services or the gateway.
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

function areaOf(file) {
  const rel = path.relative(ROOT, file).split(path.sep);
  if (rel[0] === 'services' && rel[1]) return `services/${rel[1]}`;
  if (rel[0] === 'gateway') return 'gateway';
  if (rel[0] === 'libs' && rel[1]) return `libs/${rel[1]}`;
  return null;
}

module.exports = {
  meta: {
    type: 'problem',
    docs: { description: 'services and the gateway share code only through libs/' },
    schema: [],
    messages: {
      crossService: '{{from}} must not import {{to}}: services share only libs/ (use an event or a federated field instead)',
      libImportsApp: '{{from}} must not import {{to}}: libs are shared building blocks and cannot depend on a service or the gateway',
    },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const from = areaOf(file);
    if (!from) return {};
    function check(node, spec) {
      if (typeof spec !== 'string') return;
      let target;
      if (spec.startsWith('.')) target = areaOf(path.resolve(path.dirname(file), spec));
      else if (/^(services|gateway)\//.test(spec)) target = areaOf(path.join(ROOT, spec));
      else return;
      if (!target || target === from || target.startsWith('libs/')) return;
      const messageId = from.startsWith('libs/') ? 'libImportsApp' : 'crossService';
      context.report({ node, messageId, data: { from, to: target } });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') check(node, node.arguments[0].value);
      },
    };
  },
};
