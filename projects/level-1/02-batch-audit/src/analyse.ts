// The analyser: fixed, documented rules decide which posts to flag for deletion. No model,
// no clock: the same post always gets the same verdict, so a resumed run writes exactly the
// rows an uninterrupted one would (G5). The seed asked a language model; rules keep the
// course about checkpoints, not about prompts.
import type { Post } from './posts.ts';

/** Words a person may not want in their history any more (whole words, any case). */
export const KEYWORDS = ['crypto', 'nft', 'giveaway', 'hangover', 'drunk', 'hate'];

/** Link shorteners: where the link goes can change after the post, so it cannot be vouched for. */
export const SHORTENERS = ['bit.ly', 'tinyurl.com', 'goo.gl'];

/** Posts from before this date are flagged as old (a fixed date, never "now": determinism). */
export const OLD_BEFORE = '2014-01-01';

/**
 * The reasons to delete a post, in a fixed order (keywords in list order, then shorteners,
 * then age); empty when the post can stay.
 */
export function analyse(post: Post): string[] {
  const reasons: string[] = [];
  for (const word of KEYWORDS) {
    if (new RegExp(`\\b${word}\\b`, 'i').test(post.text)) reasons.push(`keyword:${word}`);
  }
  for (const host of SHORTENERS) {
    if (new RegExp(`https?://${host.replace(/\./g, '\\.')}/`, 'i').test(post.text)) reasons.push(`short-link:${host}`);
  }
  if (post.createdAt.slice(0, 10) < OLD_BEFORE) reasons.push(`older-than:${OLD_BEFORE}`);
  return reasons;
}
