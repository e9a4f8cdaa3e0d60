import { describe, expect, it } from 'vitest';
import { strftime } from '../../../src/inference/text/strftime.js';

describe('strftime', () => {
  const date = new Date(2024, 6, 5, 14, 7, 9);

  it('formats the directives chat templates use, with English names', () => {
    expect(strftime(date, '%d %b %Y')).toBe('05 Jul 2024');
    expect(strftime(date, '%A, %B %e, %y')).toBe('Friday, July  5, 24');
    expect(strftime(date, '%a %m/%d %H:%M:%S %I%p')).toBe('Fri 07/05 14:07:09 02PM');
    expect(strftime(date, '%j %% %Q')).toBe('187 % %Q');
  });

  it('handles midnight and the first of January', () => {
    const newYear = new Date(2025, 0, 1, 0, 0, 0);
    expect(strftime(newYear, '%I %p %j')).toBe('12 AM 001');
  });
});
