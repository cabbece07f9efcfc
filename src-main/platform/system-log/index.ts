export { type SystemLog, type SystemLogLevel, type SystemLogFields, formatSystemLogText, nullSystemLog, createMemorySystemLog } from './system-log-port';
export { type CommandRunner, type CommandResult, createSpawnRunner } from './command-runner';
export { CommandSystemLog } from './command-system-log';
export { FileSystemLog } from './file-system-log';
export { StreamSystemLog, type StreamSystemLogOptions } from './stream-system-log';
export { loggerStreamArgv, toLoggerLine, eventcreateArgv, SYSLOG_TAG, EVENT_SOURCE, MAX_LOGGER_LINE_BYTES } from './system-log-adapters';
export { selectSystemLog, type SystemLogOptions, type FlushableSystemLog } from './select-system-log';
