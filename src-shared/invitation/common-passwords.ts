// A deliberately small list: the passwords and keyboard walks that top every published leak list
// (and a few words people put in them). Guessers try these first, so any password built from one
// is weak whatever its length or character mix. Lower case, most common first; the rank is used
// as the guess count.

/** The most common passwords, keyboard walks and password words, lower case, most common first. */
export const COMMON_PASSWORDS: readonly string[] = [
  '123456', 'password', '123456789', '12345678', '12345', 'qwerty', '123123', '111111', '1234567890', '1234567',
  'qwerty123', '000000', '1q2w3e', 'abc123', 'password1', 'iloveyou', '654321', '666666', '987654321', '123321',
  'qwertyuiop', 'admin', 'welcome', 'monkey', 'dragon', 'letmein', 'football', 'baseball', 'sunshine', 'princess',
  'master', 'shadow', 'superman', 'michael', 'qazwsx', 'trustno1', 'starwars', 'passw0rd', 'login', 'solo',
  'hello', 'freedom', 'whatever', 'charlie', 'aa123456', 'donald', 'batman', 'access', 'flower', 'hottie',
  'loveme', 'zaq1zaq1', 'azerty', 'asdfgh', 'asdfghjkl', 'zxcvbnm', 'zxcvbn', '1qaz2wsx', 'qwer1234', '1q2w3e4r',
  '1q2w3e4r5t', 'q1w2e3r4', 'asdf1234', 'asdf', 'qwert', 'mustang', 'jordan', 'harley', 'ranger', 'hunter',
  'buster', 'soccer', 'hockey', 'killer', 'george', 'jessica', 'pepper', 'daniel', 'andrew', 'joshua',
  'summer', 'winter', 'spring', 'autumn', 'secret', 'changeme', 'default', 'guest', 'root', 'test',
  'computer', 'internet', 'samsung', 'google', 'apple', 'microsoft', 'windows', 'linux', 'ubuntu', 'support',
  'helpme', 'help', 'remote', 'assist', 'invite', 'invitation', 'family', 'friend', 'lovely', 'angel',
  'cookie', 'cheese', 'chocolate', 'banana', 'orange', 'purple', 'yellow', 'silver', 'golden', 'diamond',
  'matrix', 'ninja', 'pokemon', 'naruto', 'liverpool', 'chelsea', 'arsenal', 'barcelona', 'password123', 'admin123',
  '112233', '121212', '123qwe', 'qweasd', 'qweasdzxc', '159753', '147258369', '789456123', '741852963', '11111111',
  '88888888', '99999999', '00000000', '7777777', '555555', '222222', 'abcdef', 'abcdefg', 'abcd1234', 'a1b2c3',
];

/** Rows of the common keyboard layouts, for spotting walks such as "asdfgh" or "poiuy". */
export const KEYBOARD_ROWS: readonly string[] = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'azertyuiop', 'qsdfghjklm', 'wxcvbn', 'qwertzuiop', 'yxcvbnm'];
