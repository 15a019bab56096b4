/** Request headers as Node gives them: names lower-case, repeated headers as lists. */
export type HeaderMap = Readonly<Record<string, string | string[] | undefined>>;
