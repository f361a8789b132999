/** How many pages a paginated read may take before it is taken to be looping. */
export const MAX_PAGES = 1000;

/**
 * The pages of an SDK paginator, failing closed when the API repeats a `NextToken` or cycles
 * through tokens (the SDK's `stopOnSameToken` catches only a token equal to the last one, and
 * stops silently), or runs past `MAX_PAGES`.
 */
export async function* pagesOnce<Page extends { NextToken?: string }>(pages: AsyncIterable<Page>, what: string): AsyncGenerator<Page> {
  const seen = new Set<string>();
  for await (const page of pages) {
    const token = page.NextToken;
    if (token !== undefined && token !== '') {
      if (seen.has(token)) {
        throw new Error(`${what} returned the NextToken '${abbreviate(token)}' a second time after ${seen.size} pages: `
          + 'the API is looping, so the list is incomplete and nothing was decided from it.');
      }
      if (seen.size >= MAX_PAGES) throw new Error(`${what} returned more than ${MAX_PAGES} pages: nothing was decided from an incomplete list.`);
      seen.add(token);
    }
    yield page;
  }
}

function abbreviate(token: string): string {
  return token.length > 40 ? `${token.slice(0, 40)}…` : token;
}
