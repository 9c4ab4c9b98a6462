// Preloaded into every process `pactum start` spawns: when the supervisor goes away (even by
// SIGKILL) the IPC channel closes, and the child shuts itself down as on SIGTERM, so no
// orphan keeps a port or a SQLite file open.
'use strict';
if (typeof process.send === 'function') {
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
