/**
 * The domain's words in both languages the UI speaks, defined once here: the client's
 * translations, the server's exports, notices and printed minutes all read them. Keyed by the
 * enum's values, so a value without a name in either language does not compile.
 */
export type Vocabulary<K extends string> = Readonly<Record<'zh-CN' | 'en', Readonly<Record<K, string>>>>;
