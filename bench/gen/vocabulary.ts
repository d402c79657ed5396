import { Random, Zipf } from './random.js';

/** The most frequent German words lead the Zipf ranking, as in real news text. */
const COMMON = (
  'der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat ' +
  'dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur bis ' +
  'mehr durch man sein wurde sei Prozent hatte kann gegen vom können schon wenn habe seine Millionen ihre dann unter ' +
  'wir soll ich eines Jahr zwei Jahren diese dieser wieder keine Uhr seiner worden will zwischen Deutschland immer ' +
  'Menschen was sagte Regierung Ukraine Berlin Krieg Bundestag Polizei Frauen Kinder Stadt Land Geld Arbeit Politik ' +
  'Präsident Ministerin Gespräch Verhandlungen Wahl Partei Grünen Gesellschaft Zukunft Klima Energie Wohnung Miete ' +
  'Schule Gewerkschaft Streik Gericht Urteil Bürgermeister Europa Russland Frankreich Flüchtlinge Grenze Sicherheit ' +
  'Demokratie Öffentlichkeit Bevölkerung Straße Fahrrad Verkehr Wissenschaft Forschung Gesundheit Krankenhaus Kultur'
).split(' ');

const ONSETS = ['b', 'br', 'd', 'dr', 'f', 'fl', 'g', 'gr', 'h', 'k', 'kl', 'kr', 'l', 'm', 'n', 'p', 'pf', 'r', 's', 'sch', 'schl', 'sp', 'st', 'str', 't', 'tr', 'w', 'z', ''];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'au', 'ei', 'ie', 'eu', 'ä', 'ö', 'ü', 'a', 'e', 'i', 'o', 'u', 'e'];
const CODAS = ['', 'n', 'r', 'l', 'nd', 'ng', 'st', 'cht', 'ck', 'ss', 'ß', 'rt', 'lt', 'm', 'ft', 's', 'tz', ''];
const SUFFIXES = ['', '', '', '', '', '', '', 'ung', 'heit', 'keit', 'schaft', 'en', 'er', 'lich', 'isch', 'ismus', 'ation'];

function syllable(r: Random): string {
  return r.pick(ONSETS) + r.pick(VOWELS) + r.pick(CODAS);
}

/**
 * A vocabulary ranked by frequency: common words first, then invented German-looking words (with
 * umlauts and ß, so folding is exercised), drawn with a Zipf law as words in real text are.
 */
export class Vocabulary {
  readonly words: string[];
  private readonly zipf: Zipf;

  constructor(r: Random, size: number) {
    const seen = new Set<string>(COMMON.map((w) => w.toLowerCase()));
    this.words = [...COMMON];
    while (this.words.length < size) {
      let w = '';
      const n = r.chance(0.6) ? 2 : r.int(1, 3);
      for (let i = 0; i < n; i++) w += syllable(r);
      w += r.pick(SUFFIXES);
      if (w.length < 3 || seen.has(w)) continue;
      seen.add(w);
      this.words.push(r.chance(0.35) ? w.charAt(0).toUpperCase() + w.slice(1) : w);
    }
    this.zipf = new Zipf(this.words.length, 1.05);
  }

  word(r: Random): string {
    return this.words[this.zipf.sample(r)]!;
  }

  /** A capitalised word from the rarer part of the vocabulary: names, places, topics. */
  name(r: Random): string {
    const w = this.words[r.int(COMMON.length, this.words.length - 1)]!;
    return w.charAt(0).toUpperCase() + w.slice(1);
  }
}
