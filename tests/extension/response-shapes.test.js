import { describe, expect, it } from 'vitest';
import { SHAPE, describeProblems, expectShape } from '../../extension/src/background/response-shapes.js';

describe('expectShape', () => {
  it('returns an answer of the expected form as it is', () => {
    const body = { status: 'ok', version: '0.1.0' };
    expect(expectShape(SHAPE.HEALTH, body)).toBe(body);
  });

  it.each([
    [null, 'the answer must be object'],
    [[], 'the answer must be object'],
    ['<html>', 'the answer must be object'],
    [{ token: 'bench-1' }, 'token must be object'],
  ])('says what is wrong with %j, and never throws a TypeError', (body, words) => {
    expect(() => expectShape(SHAPE.WHOAMI, body)).toThrow(expect.objectContaining({ code: 'unexpected_response', message: expect.stringContaining(words) }));
  });

  it('knows every shape it names', () => {
    for (const shape of Object.values(SHAPE)) expect(() => expectShape(shape, {})).toThrow(expect.objectContaining({ code: 'unexpected_response' }));
  });
});

describe('describeProblems', () => {
  it('keeps it short: three problems, then a count', () => {
    const errors = ['a', 'b', 'c', 'd', 'e'].map((field) => ({ instancePath: `/x/${field}`, message: 'must be string' }));
    expect(describeProblems(errors)).toBe('x.a must be string; x.b must be string; x.c must be string; and 2 more');
  });
});
