import { describe, expect, it } from 'vitest';
import { hasCyrillic, transliterateName, transliterateNames } from '../../../src/search/transliterate';

describe('transliterateNames', () => {
  it('leaves questions without Cyrillic exactly as they are', () => {
    for (const q of ['How close are Russian forces to Pokrovsk?', 'Zelensky’s “plan”', '', 'Café Ünïcode 42']) {
      expect(transliterateNames(q)).toBe(q);
    }
  });

  it('keeps Cyrillic names in Latin spelling and drops the other Cyrillic words', () => {
    expect(transliterateNames('Чи евакуюють жителів Покровська?')).toBe('Pokrovska?');
    expect(transliterateNames('Що відбувається під Покровськом?')).toBe('Pokrovsk?');
    expect(transliterateNames('What about Покровськ?')).toBe('What about Pokrovsk?');
    expect(transliterateNames('Як справи?')).toBe('');
  });

  it('reads a sentence\'s capitalised first word as a name only when no other name follows it', () => {
    expect(transliterateNames('Эвакуируют ли жителей Покровска?')).toBe('Pokrovska?');
    expect(transliterateNames('Покровськ евакуюють?')).toBe('Pokrovsk?');
    expect(transliterateNames('Новини. Бахмут')).toBe('Novyny. Bakhmut');
    // The price of the rule: a name that opens a sentence before another name is lost.
    expect(transliterateNames('Зеленський зустрівся з Байденом')).toBe('Baiden');
  });

  it('uses the Ukrainian national system for Ukrainian and the Wikipedia system for Russian', () => {
    expect(transliterateNames('Де Харків, Миколаїв і Запоріжжя?')).toBe('Kharkiv, Mykolaiv Zaporizhzhia?');
    expect(transliterateNames('Що в Києві?')).toBe('Kyievi?');
    expect(transliterateNames('Что сказали Путин и Шойгу?')).toBe('Putin Shoygu?');
    expect(transliterateName('Згурівка', 'uk')).toBe('Zghurivka');
    expect(transliterateName('Єнакієве', 'uk')).toBe('Yenakiieve');
  });

  it('cuts case and adjective endings, but not from short names', () => {
    expect(transliterateNames('Що нового в Курській області?')).toBe('Kursk?');
    expect(transliterateName('Крим', 'uk')).toBe('Crimea');
    expect(transliterateName('Рим', 'uk')).toBe('Rym');
  });

  it('gives English names and acronyms where transliteration would not match English text', () => {
    expect(transliterateNames('Що вирішили США та ЄС щодо Росії?')).toBe('US EU Russia?');
    expect(transliterateNames('Що каже НАТО про ППО?')).toBe('NATO air defense?');
    expect(transliterateNames('Що таке ЦСКА?')).toBe('');
  });
});

describe('hasCyrillic', () => {
  it('finds Ukrainian and Russian letters only', () => {
    expect(hasCyrillic('Покровськ')).toBe(true);
    expect(hasCyrillic('ё')).toBe(true);
    expect(hasCyrillic('Pokrovsk 2024 — “ok”')).toBe(false);
  });
});
