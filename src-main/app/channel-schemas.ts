import { ChatMessage, ControlMessage, SignalMessage } from '../../src-shared/protocol/control';
import { FilesMessage } from '../../src-shared/protocol/files';
import type { ChannelSchemas } from '../link/link-options';

/**
 * What each link channel may carry. The link validates every arriving header against these and
 * drops (and logs) anything else; services validate again for their own invariants.
 */
export const CHANNEL_SCHEMAS: ChannelSchemas = {
  control: ControlMessage,
  chat: ChatMessage,
  signal: SignalMessage,
  files: FilesMessage,
};
