/**
 * Octokit reads a JSON body with `response.text()` and, when that throws, quietly hands back an
 * empty string as the data: a body cut short (Content-Length larger than what arrived) would pass
 * as a 200 with no data. Reading the whole body here first turns the cut into a thrown fetch error
 * (UND_ERR_SOCKET), which the retry policy treats like a reset connection. API answers are small;
 * artifact bytes never come through here (the zip URL is a redirect that is not followed).
 */
export function bufferBodies(fetchImpl: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    const { status, statusText, headers } = response;
    const empty = status === 204 || status === 205 || (status >= 300 && status < 400);
    if (empty) await response.body?.cancel();
    const copy = new Response(empty ? null : await response.arrayBuffer(), { status, statusText, headers });
    // The pagination plugin reads the response's URL; a constructed Response has none of its own.
    Object.defineProperty(copy, "url", { value: response.url });
    return copy;
  };
}
