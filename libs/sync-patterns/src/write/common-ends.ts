/** How many characters the two texts share at their start, and then at their end (never overlapping). */
export function commonEnds(a: string, b: string): [number, number] {
  const shortest = Math.min(a.length, b.length);
  let prefix = 0;
  // whole chunks compare as strings (a memory comparison), the differing one character by character
  for (const chunk of [65536, 1024, 1]) {
    while (prefix + chunk <= shortest && a.slice(prefix, prefix + chunk) === b.slice(prefix, prefix + chunk))
      prefix += chunk;
  }
  let suffix = 0;
  const room = shortest - prefix;
  for (const chunk of [65536, 1024, 1]) {
    while (
      suffix + chunk <= room &&
      a.slice(a.length - suffix - chunk, a.length - suffix) === b.slice(b.length - suffix - chunk, b.length - suffix)
    )
      suffix += chunk;
  }
  return [prefix, suffix];
}
