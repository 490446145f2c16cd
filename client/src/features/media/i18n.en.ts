import type { mediaZhCN } from './i18n.zh-CN';

/** Voice and video in the live room (MediaBar), in English. */
export const mediaEn: typeof mediaZhCN = {
  title: 'Voice and video',
  state: {
    idle: 'Not connected',
    connecting: 'Connecting audio…',
    live: 'Audio live',
    reconnecting: 'Weak network, reconnecting…',
    failed: 'Audio could not connect',
  },
  audioOnly: 'Audio only',
  audioOnlyWeak: 'Weak network: switched to audio only',
  audioOnlyCamera: 'The camera is unavailable: audio only',
  tapToListen: 'Tap to listen',
  listening: 'Listening',
  retry: 'Connect again',
  micOn: 'Turn the microphone on',
  micOff: 'Turn the microphone off',
  micLive: 'Your microphone is on: everyone hears you',
  micMuted: 'Microphone off',
  cameraOn: 'Turn the camera on',
  cameraOff: 'Turn the camera off',
  mayPublish: 'You may speak: the microphone is yours to switch.',
  listenOnly: 'You are listening. When the convener gives you the floor, your microphone turns on.',
  hall: 'Connect as the hall',
  hallHint: 'This device’s microphone and camera stand for the hall: everyone online hears them.',
  leaveHall: 'Stop being the hall',
  speakers: 'Speaking',
};
