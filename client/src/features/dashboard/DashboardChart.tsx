import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface ChartSeries {
  name: string;
  kind: 'bar' | 'line';
  values: number[];
  /** Bars with the same stack key are drawn on top of each other. */
  stack?: string;
}

interface Props {
  /** Category labels along the x axis (months). */
  labels: string[];
  series: ChartSeries[];
  /** What a screen reader hears instead of the picture (ECharts' aria option). */
  description: string;
  testId?: string;
}

const palette = ['#9f1c20', '#1f5fbf', '#1d6b3a', '#8a5a00', '#6b4fa3'];

type Chart = import('./echarts').EChartsType;

/**
 * One ECharts chart. ECharts is loaded the first time a chart is shown, so pages without charts
 * do not carry it. The drawing is described to screen readers; the numbers are also in the
 * table beside it, which is where keyboard and screen-reader users read them.
 */
export function DashboardChart({ labels, series, description, testId }: Props) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<Chart | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    let live = true;
    let observer: ResizeObserver | null = null;
    import('./echarts').then(
      ({ init }) => {
        if (!live || !box.current) return;
        chart.current = init(box.current, null, { renderer: 'svg' });
        observer = new ResizeObserver(() => chart.current?.resize());
        observer.observe(box.current);
        setState('ready');
      },
      () => {
        if (live) setState('failed');
      },
    );
    return () => {
      live = false;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (state !== 'ready' || !chart.current) return;
    chart.current.setOption(
      {
        aria: { enabled: true, label: { enabled: true, description } },
        color: palette,
        animation: false,
        // The legend wraps instead of scrolling, so every series is named on a phone too.
        grid: { left: 8, right: 8, top: 72, bottom: 8, containLabel: true },
        legend: { top: 0, type: 'plain' },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: labels },
        yAxis: { type: 'value', minInterval: 1 },
        series: series.map((s) => ({
          name: s.name,
          type: s.kind,
          data: s.values,
          stack: s.stack,
          emphasis: { focus: 'series' },
        })),
      },
      { notMerge: true },
    );
  }, [state, labels, series, description]);

  return (
    <div className="dashboard-chart">
      {state === 'loading' && (
        <p className="hint" role="status">
          {t('dashboard.chartLoading')}
        </p>
      )}
      {state === 'failed' && <p className="hint">{t('dashboard.chartFailed')}</p>}
      {/* ECharts writes the description into this element's aria-label. */}
      <div ref={box} className="dashboard-chart__canvas" role="img" aria-label={description} data-testid={testId} />
    </div>
  );
}
