export { type EmbeddedMedia, EmbeddedMediaError, LIVEKIT_VERSION, startEmbeddedMedia } from './embedded';
export { MEDIA_WEBHOOK_PATH, mediaRouter, mediaWebhookRouter } from './media.router';
export { createMedia, floorOf, type Media } from './media.service';
