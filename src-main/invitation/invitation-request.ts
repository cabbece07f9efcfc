/**
 * What policy and common sense allow before an invitation is made: invitations on at all, a
 * relay where one is needed (Easy Connect, relay-only policy), a password only where the user
 * chooses one, and no compatibility mode where addresses must stay out of the file.
 */
import { AppError } from '../../src-shared/contract/errors';
import { normalizePassword, validatePassword } from '../../src-shared/invitation/password-rules';
import type { PolicyService } from '../policy/policy-service';
import { parseRelayUrl } from '../relay/relay-url';
import { generateEasyConnectPassword } from './easy-connect-code';

/** What `InvitationService.create` accepts (the contract's `invitation.create` request). */
export interface CreateInvitationRequest {
  password?: string | undefined;
  lifetimeMinutes?: number | undefined;
  compatibility?: boolean | undefined;
  savePath?: string | undefined;
  easyConnect?: boolean | undefined;
}

/** A request that may go ahead, with what it resolved to. */
export interface CheckedRequest {
  easy: boolean;
  /** The relay to host at (normalised), or null without one. */
  relayUrl: string | null;
  /** False when policy allows relayed connections only. */
  direct: boolean;
  /** The invitation password, normalised (generated for Easy Connect). */
  password: string;
}

/** Checks a create request against policy; throws the AppError to show, else says how to make it. */
export function checkCreateRequest(req: CreateInvitationRequest, policy: Pick<PolicyService, 'value'>): CheckedRequest {
  if (!policy.value('allowInvitations')) throw new AppError('disabled-by-policy', 'Your administrator has turned off invitations on this computer, so you cannot ask for help this way.');
  const relaySetting = policy.value('relayUrl');
  const relayUrl = relaySetting ? parseRelayUrl(relaySetting).toString() : null;
  const direct = policy.value('directConnections');
  if (!direct && !relayUrl) {
    throw new AppError('disabled-by-policy', 'Your administrator allows connections only through a relay server, but no relay server is set. Ask your IT department to set one.');
  }
  const easy = req.easyConnect === true;
  if (easy) {
    if (!relayUrl) throw new AppError('invalid-input', 'Easy Connect needs a relay server. Set one in Remote settings (Relay server), or save an invitation file instead.');
    if (req.password !== undefined) throw new AppError('invalid-input', 'An Easy Connect invitation makes its own password (it is part of the code); do not choose one.');
    if (req.compatibility) throw new AppError('invalid-input', 'Compatibility mode is for invitation files; an Easy Connect code always goes through the relay.');
    if (req.savePath !== undefined) throw new AppError('invalid-input', 'An Easy Connect invitation has no file to save.');
  } else if (req.password === undefined) throw new AppError('invalid-input', 'Choose a password for the invitation.');
  const password = easy ? generateEasyConnectPassword() : normalizePassword(req.password!);
  const problem = validatePassword(password);
  if (problem) throw new AppError('invalid-input', problem);
  if (req.compatibility && policy.value('encryptedOnly')) {
    throw new AppError('disabled-by-policy', 'Your administrator allows only encrypted invitations, so compatibility mode is not available.');
  }
  if (req.compatibility && !direct) {
    throw new AppError('disabled-by-policy', 'Compatibility mode lists this computer\u2019s addresses, but your administrator allows connections only through the relay server.');
  }
  return { easy, relayUrl, direct, password };
}
