import path from 'node:path';
import { parseArgs } from './side-by-side.bench';

describe('the side-by-side benchmark\'s command line', () => {
  const data = ['--data', 'copy'];

  it('takes each gateway with its own settings, the first as the reference', () => {
    const options = parseArgs([...data, '--gateway', 'a', '--gateway', "a':READ_CACHE=off,FETCH_BATCHING=off", '--mode', 'cold', '--workloads', 'picture,document', '--generations', '6']);
    expect([...options.gateways]).toEqual([
      ['a', {}],
      ["a'", { READ_CACHE: 'off', FETCH_BATCHING: 'off' }],
    ]);
    expect(options).toMatchObject({ data: path.resolve('copy'), mode: 'cold', workloads: ['picture', 'document'], generations: 6, rounds: 3, fill: [] });
  });

  it('fills the processes with the warm inputs of the workloads named, none unless asked', () => {
    expect(parseArgs([...data, '--gateway', 'a', '--gateway', 'b', '--mode', 'cold', '--fill', 'picture,page,document']).fill).toEqual(['picture', 'page', 'document']);
    expect(parseArgs([...data, '--gateway', 'a', '--gateway', 'b', '--fill', 'picture', '--fill-seconds', '18']).fillSeconds).toBe(18);
    expect(parseArgs([...data, '--gateway', 'a', '--gateway', 'b']).fillSeconds).toBe(0);
    expect(() => parseArgs([...data, '--gateway', 'a', '--gateway', 'b', '--fill-seconds', '-1'])).toThrow('--fill-seconds must be a whole number >= 0');
  });

  it('keeps a value with commas out of it and colons in it', () => {
    expect(parseArgs([...data, '--gateway', 'a', '--gateway', 'b:OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318']).gateways.get('b')).toEqual({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' });
  });

  it('refuses what it cannot measure, saying why', () => {
    expect(() => parseArgs([...data, '--gateway', 'a'])).toThrow('two or more --gateway');
    expect(() => parseArgs([...data, '--gateway', 'a', '--gateway', 'a:READ_CACHE=off'])).toThrow('a key of its own');
    expect(() => parseArgs([...data, '--gateway', 'a', '--gateway', 'b:read_cache'])).toThrow('is not NAME=value');
    expect(() => parseArgs([...data, '--gateway', 'a', '--gateway', 'b', '--mode', 'lukewarm'])).toThrow('--mode must be warm or cold');
    expect(() => parseArgs([...data, '--gateway', 'a', '--gateway', 'b', '--workloads', 'picture,everything'])).toThrow('--workloads');
    expect(() => parseArgs([...data, '--gateway', 'a', '--gateway', 'b', '--fill', 'picture,everything'])).toThrow('--fill: some of picture,page,document');
    expect(() => parseArgs(['--gateway', 'a', '--gateway', 'b'])).toThrow('--data');
  });
});
