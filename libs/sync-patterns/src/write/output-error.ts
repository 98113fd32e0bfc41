/** The output folder cannot be written safely (a symlink on the way, a path outside it): nothing was written. */
export class OutputError extends Error {
  override readonly name = 'OutputError';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}
