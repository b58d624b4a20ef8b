/**
 * The questions of an operation that asks while it runs, read from a status answer (a list or an object keyed by
 * question key, with defaults for what the upstream leaves out), and replies checked against them.
 */
import { describe, expect, it } from 'vitest';
import { compilePath } from '../../src/mapping/jsonpath.ts';
import { checkReplies, MAX_QUESTIONS, questionsOf } from '../../src/invoke/task-input.ts';
import type { TaskInputPlan } from '../../src/plan/types.ts';
import { GatewayError } from '../../src/common/errors.ts';

function input(questions: string, key = '$.key'): TaskInputPlan {
  return {
    when: ['asking'],
    questions: compilePath(questions),
    key: compilePath(key),
    message: compilePath('$.message'),
    schema: compilePath('$.schema'),
    answer: undefined as never,
  };
}

const YES = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };

describe('questionsOf', () => {
  it('reads a list; questions without a key, and repeated keys, are left out; defaults fill the rest', () => {
    const body = {
      open: [
        { key: 'ok', message: 'Go?', schema: YES },
        { message: 'no key' },
        { key: 'ok', message: 'again' },
        { key: 7 },
      ],
    };
    expect(questionsOf(input('$.open'), body)).toEqual([
      { key: 'ok', message: 'Go?', schema: YES },
      { key: '7', message: "Please answer '7'.", schema: { type: 'object', properties: {} } },
    ]);
  });

  it('reads an object keyed by question key (an own key wins); nothing there is no question', () => {
    const body = { open: { ok: { message: 'Go?', schema: YES }, other: { id: 'named', message: 'Named' } } };
    expect(questionsOf(input('$.open', '$.id'), body).map((q) => q.key)).toEqual(['ok', 'named']);
    expect(questionsOf(input('$.open'), { open: 'text' })).toEqual([]);
    expect(questionsOf(input('$.missing'), {})).toEqual([]);
  });

  it('reads at most MAX_QUESTIONS', () => {
    const open = Array.from({ length: 100 }, (_, i) => ({ key: `q${i}` }));
    expect(questionsOf(input('$.open'), { open })).toHaveLength(MAX_QUESTIONS);
  });
});

describe('checkReplies', () => {
  const questions = [
    { key: 'ok', message: 'Go?', schema: YES },
    { key: 'name', message: 'Name?', schema: { type: 'object', properties: { name: { type: 'string' } } } },
  ];

  it('keeps replies to open questions only, in question order', () => {
    const replies = checkReplies(questions, {
      stray: { action: 'accept', content: {} },
      name: { action: 'cancel' },
      ok: { action: 'accept', content: { ok: false } },
    });
    expect(replies).toEqual([
      { key: 'ok', action: 'accept', content: { ok: false } },
      { key: 'name', action: 'cancel' },
    ]);
  });

  it('refuses a reply that is not {action, content} or whose content does not fit, naming the key', () => {
    for (const wrong of [null, 'yes', { action: 'later' }, { action: 'accept' }, { action: 'accept', content: {} }]) {
      let err: unknown;
      try {
        checkReplies(questions, { ok: wrong });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(GatewayError);
      expect(err).toMatchObject({ code: 'INPUT_INVALID', details: { key: 'ok' } });
    }
  });

  it('a question whose schema is not a usable JSON Schema is the upstream’s fault', () => {
    const odd = [{ key: 'x', message: 'X?', schema: { type: 'no-such-type' } }];
    expect(() => checkReplies(odd, { x: { action: 'accept', content: {} } })).toThrow(
      expect.objectContaining({ code: 'UPSTREAM_FORMAT' }),
    );
  });
});
