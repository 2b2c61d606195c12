import { runBacktestCommand } from './forecast/commands.js';
const code = await runBacktestCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, isTTY: false });
console.log('exit', code);
