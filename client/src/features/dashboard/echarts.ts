/**
 * The parts of ECharts the dashboard uses, registered once. Only imported dynamically (see
 * DashboardChart), so it lands in its own chunk and never in the main bundle.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export type { EChartsCoreOption, EChartsType } from 'echarts/core';
export { init };
