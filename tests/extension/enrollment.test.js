import { describe, expect, it } from 'vitest';
import { createEnrollment } from '../../extension/src/background/enrollment.js';
import { POLICY_ENROLLMENT_ERROR, getPolicy, getSettings } from '../../extension/src/shared/settings.js';
import { fakeFetch, fakeStorageArea } from './fakes.js';

const TOKEN = 'lb_3c2f9a8e7d6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0';
const ENROLLED = { status: 200, body: { token: TOKEN, name: 'bench-3', role: 'packer' } };

function setUp({ local = {}, policy = {}, respond = () => ENROLLED } = {}) {
  const storage = { local: fakeStorageArea(local) };
  const managed = fakeStorageArea(policy);
  const { fetchImpl, calls } = fakeFetch(respond);
  const enrollment = createEnrollment({ storage, fetchImpl, now: () => 0, managed });
  return { storage, managed, calls, enrollment };
}

describe('enroll (from the popup)', () => {
  it('exchanges the code without a token, keeps the token in storage and answers only the name', async () => {
    const { storage, calls, enrollment } = setUp();
    const reply = await enrollment.enroll({ backendUrl: 'https://labels.example.com/', code: '7kq-4md-92x' });
    expect(reply).toEqual({ name: 'bench-3', role: 'packer', backendUrl: 'https://labels.example.com' });
    expect(JSON.stringify(reply)).not.toContain(TOKEN);
    expect(calls).toHaveLength(1);
    expect(calls[0].url.href).toBe('https://labels.example.com/api/v1/enroll');
    expect(calls[0].url.search).toBe('');
    expect(calls[0].init.headers.Authorization).toBeUndefined();
    expect(JSON.parse(calls[0].init.body)).toEqual({ code: '7kq-4md-92x' });
    expect(storage.local.data).toMatchObject({ backendUrl: 'https://labels.example.com', token: TOKEN });
  });

  it.each([
    [409, 'enrollment_code_used', 'This enrollment code has already been used; each code works once. Ask for a new one.'],
    [409, 'enrollment_code_expired', 'This enrollment code expired at 09:30 UTC. Ask for a new one.'],
    [404, 'enrollment_code_unknown', 'This enrollment code is not right: check it letter by letter, or ask for a new one.'],
  ])('passes on the backend’s words for a %i %s and saves nothing', async (status, code, message) => {
    const { storage, enrollment } = setUp({ respond: () => ({ status, body: { code, status, message } }) });
    await expect(enrollment.enroll({ backendUrl: 'https://labels.example.com', code: '222-222-222' })).rejects.toMatchObject({ code, message });
    expect(storage.local.data.token).toBeUndefined();
  });

  it('refuses a missing code or a bad address before calling anyone', async () => {
    const { calls, enrollment } = setUp();
    await expect(enrollment.enroll({ backendUrl: 'https://labels.example.com', code: ' ' })).rejects.toMatchObject({ code: 'no_enrollment_code' });
    await expect(enrollment.enroll({ backendUrl: 'http://labels.example.com', code: '7KQ-4MD-92X' })).rejects.toMatchObject({
      code: 'invalid_backend_url',
    });
    expect(calls).toHaveLength(0);
  });

  it('uses the organisation’s backend address over the one typed', async () => {
    const { calls, enrollment } = setUp({ policy: { backendUrl: 'https://policy.example.com' } });
    await enrollment.enroll({ backendUrl: 'https://typed.example.com', code: '7KQ-4MD-92X' });
    expect(calls[0].url.origin).toBe('https://policy.example.com');
  });
});

describe('enrollFromPolicy', () => {
  const policy = { backendUrl: 'https://labels.example.com', enrollmentCode: '7KQ-4MD-92X' };

  it('enrolls a bench that has no token with the managed code', async () => {
    const { storage, calls, enrollment } = setUp({ policy });
    expect((await enrollment.enrollFromPolicy()).name).toBe('bench-3');
    expect(JSON.parse(calls[0].init.body)).toEqual({ code: '7KQ-4MD-92X' });
    expect(storage.local.data.token).toBe(TOKEN);
  });

  it('does nothing when the bench already has a token, or the policy names no backend', async () => {
    for (const setup of [{ policy, local: { token: 'lb_existing-token' } }, { policy: { enrollmentCode: '7KQ-4MD-92X' } }]) {
      const { calls, enrollment } = setUp(setup);
      expect(await enrollment.enrollFromPolicy()).toBeNull();
      expect(calls).toHaveLength(0);
    }
  });

  it('keeps why the managed code failed for the popup, without the code', async () => {
    const used = { status: 409, body: { code: 'enrollment_code_used', status: 409, message: 'This enrollment code has already been used.' } };
    const { storage, enrollment } = setUp({ policy, respond: () => used });
    expect(await enrollment.enrollFromPolicy()).toBeNull();
    expect(storage.local.data[POLICY_ENROLLMENT_ERROR]).toBe(
      'The enrollment code set by your organisation did not work: This enrollment code has already been used.',
    );
    expect(storage.local.data[POLICY_ENROLLMENT_ERROR]).not.toContain('7KQ');
  });
});

describe('managed settings', () => {
  it('win over the local ones, normalised', async () => {
    const local = fakeStorageArea({ backendUrl: 'https://local.example.com', token: 'lb_local-token-1', autoPrint: true });
    const managed = fakeStorageArea({ backendUrl: 'https://policy.example.com/', autoPrint: false });
    expect(await getSettings(local, managed)).toEqual({ backendUrl: 'https://policy.example.com', token: 'lb_local-token-1', autoPrint: false });
  });

  it('report policy values that cannot be used instead of using them', async () => {
    const managed = fakeStorageArea({ backendUrl: 'ftp://x', autoPrint: 'yes', enrollmentCode: '' });
    expect(await getPolicy(managed)).toEqual({ values: {}, invalid: ['backendUrl', 'autoPrint', 'enrollmentCode'] });
    const local = fakeStorageArea({ backendUrl: 'https://local.example.com' });
    expect((await getSettings(local, managed)).backendUrl).toBe('https://local.example.com');
  });

  it('are empty where the browser has no managed storage', async () => {
    const broken = { get: async () => Promise.reject(new Error('managed storage is not available')) };
    expect(await getPolicy(broken)).toEqual({ values: {}, invalid: [] });
    expect(await getPolicy(null)).toEqual({ values: {}, invalid: [] });
  });
});
