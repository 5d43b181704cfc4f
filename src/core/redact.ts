/** `url` with any password replaced by `***`; text that is not a URL has any `//user:secret@` masked. */
export function redactUrl(url: string): string {
  const parsed = URL.parse(url);
  if (!parsed) return url.replace(/(\/\/[^/:@\s]*:)[^@\s]*@/g, '$1***@');
  if (parsed.password) parsed.password = '***';
  return parsed.href;
}
