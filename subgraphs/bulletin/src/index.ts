/** What other processes use of the bulletin: its delivery worker (hosted by the jobs process). */
export { startBulletinDeliveryWorker, type RunningDeliveryWorker } from './sending/delivery-worker';
