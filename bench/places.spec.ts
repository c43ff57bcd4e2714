import { placesInTurn } from './gateways.bench';

describe('the places of the gateways compared (placesInTurn)', () => {
  it('gives each gateway the first place and its port in turn, the first place first', () => {
    const ports = [4001, 4002];
    expect([0, 1, 2, 3].map((generation) => placesInTurn(['on', 'off'], ports, generation))).toEqual([
      [['on', 4001], ['off', 4002]],
      [['off', 4001], ['on', 4002]],
      [['on', 4001], ['off', 4002]],
      [['off', 4001], ['on', 4002]],
    ]);
  });

  it('takes every place equally often over as many generations as gateways', () => {
    const keys = ['on', 'off', 'base on', 'base off'];
    const ports = [1, 2, 3, 4];
    const firstPortHolders = [0, 1, 2, 3].map((generation) => placesInTurn(keys, ports, generation).find(([, port]) => port === 1)?.[0]);
    expect(new Set(firstPortHolders)).toEqual(new Set(keys));
  });
});
