// Test support, run as a child process: connect to a listener on this machine as the helper and
// send one file, printing progress, so the parent can kill this process mid-transfer.
import { autoAcceptFiles, connect } from './link-endpoints';

const [port, file] = process.argv.slice(2);
const link = await connect(Number(port));
const files = autoAcceptFiles(link, 'helper', '/nonexistent');
files.onProgress((p) => process.stdout.write(`progress ${p.state} ${p.bytesDone}\n`));
files.send([file!]);
