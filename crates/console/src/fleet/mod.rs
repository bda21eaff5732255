//! The fleet console's services (Global SIM Link): the inventory, cards and their actions, bulk
//! jobs and the worker that runs them, exports, pools, usage and work orders.

pub mod actions;
pub mod catalog;
pub mod dispatch;
pub mod export;
pub mod job_run;
pub mod jobs;
pub mod overview;
pub mod pools;
pub mod sim_cards;
pub mod usage;
pub mod work_orders;
