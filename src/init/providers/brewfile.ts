// Homebrew's Brewfile: the packages step installs what it lists (`brew bundle`).
import { defineProvider } from '../provider.js'

export const brewfile = defineProvider({
  name: 'brewfile',
  detect: ({ repo }) => repo.has('Brewfile'),
  contribute: () => ({
    steps: [{ slot: 'packages', type: 'packages', config: { brewfile: 'Brewfile' }, why: 'Brewfile' }],
  }),
})
