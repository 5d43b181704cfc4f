import assert from 'node:assert/strict';
import { test } from 'node:test';
import { daysFromCivil, digits } from './civil-date.ts';

const days = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

test('civil days count from 1970-01-01, proleptic Gregorian, year 0 = 1 BC', () => {
  assert.equal(daysFromCivil(1970, 1, 1), 0);
  assert.equal(daysFromCivil(1969, 12, 31), -1);
  assert.equal(daysFromCivil(2000, 2, 29), days('2000-02-29'));
  assert.equal(daysFromCivil(2038, 1, 19), days('2038-01-19'));
  assert.equal(daysFromCivil(1, 1, 1), -719162);
  assert.equal(daysFromCivil(0, 1, 1), -719528);
  assert.equal(daysFromCivil(9999, 12, 31), 2932896);
});

test('digits reads a decimal run and refuses anything else', () => {
  assert.equal(digits('2024-06-07', 0, 4), 2024);
  assert.equal(digits('2024-06-07', 5, 7), 6);
  assert.ok(Number.isNaN(digits('20x4', 0, 4)));
  assert.ok(Number.isNaN(digits('12', 1, 1)));
});
