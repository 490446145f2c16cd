import { useMemo } from 'react';
import { encodeQr } from './qr';

/** A QR code as an SVG, with a four-module quiet zone; `label` names it for screen readers. */
export function QrCode({ text, label }: { text: string; label: string }) {
  const modules = useMemo(() => (text ? encodeQr(text) : null), [text]);
  if (!modules) return null;
  const size = modules.length + 8;
  const path = modules.flatMap((row, y) => row.map((dark, x) => (dark ? `M${x + 4} ${y + 4}h1v1h-1z` : ''))).join('');
  return (
    <svg
      className="activities-qr"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      data-testid="activity-qr"
      data-text={text}
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
