/** One generated HTTP request. `kind` names the generator case, for the report. */
export interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** The target's secrets, so that generated requests pass the gates and reach the parsers. */
export interface FuzzSecrets {
  slackSigningSecret: string;
  larkEncryptKey: string;
  larkVerificationToken: string;
  apiKey: string;
}
