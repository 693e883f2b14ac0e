// The local edge's CloudFront Functions host: one Node.js process, fed one JSON request per line on stdin,
// answering one JSON line per request on stdout. Each function runs in a vm context of its own, so functions
// share no globals, as in CloudFront. Logs (console.log) go to stderr, prefixed with the function's name.
'use strict';
const vm = require('vm');
const readline = require('readline');

const contexts = new Map();
const RUN_TIMEOUT_MS = 1000;

function reply(message) {
  process.stdout.write(JSON.stringify(message) + '\n');
}

function load(name, code) {
  const log = (...args) => process.stderr.write('[cloudfront-function ' + name + '] ' + args.map(String).join(' ') + '\n');
  const context = vm.createContext({ console: { log, info: log, warn: log, error: log } });
  new vm.Script(code, { filename: name + '.js' }).runInContext(context, { timeout: RUN_TIMEOUT_MS });
  if (new vm.Script('typeof handler').runInContext(context) !== 'function') {
    throw new Error('the function code declares no handler(event) function');
  }
  contexts.set(name, context);
}

async function run(name, event) {
  const context = contexts.get(name);
  if (!context) {
    throw new Error('function ' + name + ' is not loaded');
  }
  context.__event = event;
  const result = new vm.Script('handler(__event)').runInContext(context, { timeout: RUN_TIMEOUT_MS });
  return await result;
}

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  let message;
  try {
    message = JSON.parse(line);
  } catch (e) {
    return;
  }
  try {
    if (message.op === 'load') {
      load(message.name, message.code);
      reply({ id: message.id, ok: true });
    } else {
      reply({ id: message.id, result: await run(message.name, message.event) });
    }
  } catch (e) {
    reply({ id: message.id, error: String(e && e.message ? e.message : e) });
  }
});
