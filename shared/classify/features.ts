/**
 * Text features for the classifier: Chinese character bigrams. Chinese has no spaces, and bigrams catch most
 * two-character words (台账, 挂职, 纪要) without a dictionary. Pure.
 */

export type Bag = Map<string, number>;

const CJK_RUN = /[\u3400-\u9fff]+/g;

/** Adds the bigrams of `text` to `bag`, each occurrence counting `weight`. */
export function addBigrams(bag: Bag, text: string, weight = 1): Bag {
  for (const m of text.matchAll(CJK_RUN)) {
    const run = m[0];
    for (let i = 0; i + 1 < run.length; i++) {
      const gram = run.slice(i, i + 2);
      bag.set(gram, (bag.get(gram) ?? 0) + weight);
    }
  }
  return bag;
}

export function bigrams(text: string, weight = 1): Bag {
  return addBigrams(new Map(), text, weight);
}

/** File name without folders and extension. */
export function stemOf(fileName: string): string {
  const parts = fileName.split(/[\\/]/);
  return (parts[parts.length - 1] ?? fileName).replace(/\.[A-Za-z0-9]{1,5}$/, '');
}
