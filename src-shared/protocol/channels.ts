/**
 * The channels multiplexed on the encrypted peer link (DESIGN.md section 2). Input events and file
 * bytes travel here, between the two mains, and never through a renderer.
 */
export const CHANNELS = ['control', 'chat', 'files', 'signal'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** Wire numbers for the channels; part of the protocol, never reorder. */
export const CHANNEL_IDS: Record<ChannelName, number> = { control: 1, chat: 2, files: 3, signal: 4 };
