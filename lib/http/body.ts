/** A response as the client receives it, before the body is parsed. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** The body decoded as UTF-8. */
  text: string;
}
