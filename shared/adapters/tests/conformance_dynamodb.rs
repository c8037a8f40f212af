//! The storage-port conformance suite against the DynamoDB adapter, on the local emulator that
//! `tests/run.sh` starts (`IM_TEST_DYNAMODB_ENDPOINT`). All tests share one table
//! (`IM_TEST_DYNAMODB_TABLE`, default `im-conformance`); each case isolates itself with a fresh
//! random tenant.

#![cfg(feature = "aws")]

use im_adapters::emulator::shared_table_store;

im_store_conformance::conformance_tests!(shared_table_store());
