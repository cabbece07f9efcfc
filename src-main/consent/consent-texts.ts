/**
 * The words of the consent prompts. The scam warning is shown unless the administrator set their
 * own text (UseCustomMessages), because scammers phone people pretending to be support staff.
 */
export const SCAM_WARNING =
  'Only accept if you know this person and asked them for help. Real support staff will never call you out of the blue asking to see or control your computer.';

/** For offers the person did not ask: the helper is on the administrator's list, but still check. */
export const OFFER_WARNING =
  "Only accept if you expected your organisation's help desk. If you are not sure, say No and call your help desk on the number you already know — never one given by the caller.";

export interface PromptTexts {
  title: string;
  message: string;
  details: string[];
}

/** "NAME wants to connect to your computer. Allow them to see your screen?" */
export function viewPrompt(peerName: string, how: string, customWarning: string | null, kind: 'invitation' | 'offer'): PromptTexts {
  return {
    title: kind === 'offer' ? `${peerName} is offering to help you` : `${peerName} wants to connect to your computer`,
    message: 'Allow them to see your screen?',
    details: [how, customWarning ?? (kind === 'offer' ? OFFER_WARNING : SCAM_WARNING)],
  };
}

/** "Allow NAME to share control of your computer?" */
export function controlPrompt(peerName: string, customWarning: string | null): PromptTexts {
  return {
    title: `${peerName} is asking to share control`,
    message: `Allow ${peerName} to share control of your computer? They will be able to use your mouse and keyboard. Press Esc or "Stop sharing control" at any time to take it back.`,
    details: customWarning ? [customWarning] : [],
  };
}
