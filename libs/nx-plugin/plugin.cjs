// Nx loads plugins with require(); on Node 20 it cannot load TypeScript by itself (it would
// need @swc-node/register or ts-node). tsx, already the workspace's TypeScript runner, compiles
// the sources on the fly, so the plugin runs from src/ with no build step and never goes stale.
const { require: tsxRequire } = require('tsx/cjs/api');

module.exports = tsxRequire('./src/index.ts', __filename);
