/** An error whose message is meant for the person who sent the message. */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
  constructor(
    message: string,
    readonly code = 'user_error',
  ) {
    super(message);
  }
}
