export { type EmbeddedMedia, EmbeddedMediaError, LIVEKIT_VERSION, startEmbeddedMedia } from './embedded';
export { mediaRouter } from './media.router';
export { createMedia, floorOf, type Media } from './media.service';
