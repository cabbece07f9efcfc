/** What to do next after each way an offer can fail (main's `details.reason`). */
export const OFFER_NEXT_STEP: Record<string, string> = {
  'not-allowed': 'Your helper ID is below: send it to the administrator of that computer (Export), and try again once they have added it.',
  unreachable: 'Check the computer name. If it is right, the computer may be off, or its administrator has to allow offers and open the port in its firewall.',
  'not-found': 'Check the spelling, or ask the person for the IP address of their computer.',
  'offers-disabled': 'Ask the person to send you an invitation instead ("Help someone who has invited you").',
  busy: 'Try again in a few minutes.',
  'rate-limited': 'Wait a minute before trying again.',
  timeout: 'Check your network connection and try again.',
  'host-key-changed': 'Do not continue unless the administrator of that computer confirms it was reinstalled. Someone may be pretending to be it.',
  'bad-host-signature': 'Check the computer name and port: something else answered there.',
  'not-remote-assist': 'Check the port number: something else answers there.',
};

/** Headline of each failure, for the alert. */
export const OFFER_ERROR_TITLE: Record<string, string> = {
  'not-allowed': 'You are not on this computer\u2019s list of helpers',
  unreachable: 'The computer could not be reached',
  'not-found': 'No computer by that name',
  'offers-disabled': 'Offers of help are turned off on that computer',
  busy: 'The computer is busy',
  'rate-limited': 'Too many attempts',
  timeout: 'No answer in time',
  'host-key-changed': 'Warning: the identity of this computer has changed',
  'bad-host-signature': 'The computer could not prove its identity',
};
