export {
  LeaderElector,
  LeaderElectionError,
  microTime,
  defaultIdentity,
  type LeaderElectionOptions,
} from './leader-election.ts';
