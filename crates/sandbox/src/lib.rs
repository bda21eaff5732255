//! A local Huawei Cloud.
