//! `hwsign`: debug a rejected SDK-HMAC-SHA256 signature, or check signing vectors.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hwcloud::operation::QueryValue;
use hwcloud::signer::{self, SigningRequest};
use hwcloud::vectors::{VectorFile, check};

#[derive(Debug, Parser)]
#[command(name = "hwsign", about = "Huawei Cloud SDK-HMAC-SHA256 signing, step by step")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the canonical request, string to sign and Authorization for one request.
    Sign {
        /// HTTP method.
        #[arg(long, default_value = "GET")]
        method: String,
        /// Full URL, e.g. https://gsl.cn-north-4.myhuaweicloud.com/v1/sim-cards?limit=10
        #[arg(long)]
        url: String,
        /// Header `Name: value` (repeatable). Content-Type defaults to application/json.
        #[arg(long = "header", short = 'H')]
        headers: Vec<String>,
        /// Request body.
        #[arg(long, default_value = "")]
        body: String,
        /// Access key id.
        #[arg(long, env = "HWSIGN_AK")]
        ak: String,
        /// Secret key (prefer the HWSIGN_SK environment variable over the command line).
        #[arg(long, env = "HWSIGN_SK", hide_env_values = true)]
        sk: String,
        /// X-Sdk-Date (YYYYMMDDTHHMMSSZ); now when absent.
        #[arg(long)]
        date: Option<String>,
    },
    /// Check every vector of a file in the format of signing-vectors.json.
    Verify {
        /// The vector file.
        file: std::path::PathBuf,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Sign { method, url, headers, body, ak, sk, date } => sign(&method, &url, &headers, &body, &ak, &sk, date),
        Command::Verify { file } => verify(&file),
    }
}

fn sign(method: &str, url: &str, headers: &[String], body: &str, ak: &str, sk: &str, date: Option<String>) -> ExitCode {
    let Some((_, rest)) = url.split_once("://") else {
        eprintln!("hwsign: the URL needs a scheme (http:// or https://)");
        return ExitCode::from(2);
    };
    let (host, target) = rest.split_once('/').map_or((rest, String::from("/")), |(h, t)| (h, format!("/{t}")));
    let (path, raw_query) = target.split_once('?').unwrap_or((&target, ""));
    let query: Vec<(String, QueryValue)> = raw_query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let v = signer::unquote(v);
            (signer::unquote(k), v.parse::<i64>().map_or(QueryValue::Str(v), QueryValue::Int))
        })
        .collect();
    let query: Vec<(&str, QueryValue)> = query.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    let mut hdrs: Vec<(String, String)> = Vec::new();
    for h in headers {
        let Some((name, value)) = h.split_once(':') else {
            eprintln!("hwsign: a header must look like 'Name: value', got {h:?}");
            return ExitCode::from(2);
        };
        hdrs.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    if !hdrs.iter().any(|(n, _)| n.eq_ignore_ascii_case("content-type")) {
        hdrs.push(("Content-Type".into(), "application/json".into()));
    }
    let date = date.unwrap_or_else(|| chrono::Utc::now().format(signer::DATE_FORMAT).to_string());
    let req = SigningRequest { method, host, path, query: &query, headers: &hdrs, body: body.as_bytes() };
    let signed = signer::sign(&req, ak, sk, &date);
    println!("--- canonical request\n{}\n--- string to sign\n{}", signed.canonical_request, signed.string_to_sign);
    println!("--- request target\n{}\n--- headers sent", signed.request_target);
    for (n, v) in &signed.headers {
        println!("{n}: {v}");
    }
    ExitCode::SUCCESS
}

fn verify(file: &std::path::Path) -> ExitCode {
    let parsed = std::fs::read_to_string(file)
        .map_err(|e| e.to_string())
        .and_then(|s| serde_json::from_str::<VectorFile>(&s).map_err(|e| e.to_string()));
    let vectors = match parsed {
        Ok(v) => v.vectors,
        Err(e) => {
            eprintln!("hwsign: cannot read {}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    let (mut passed, mut failed) = (0, 0);
    for v in &vectors {
        match check(v).mismatch {
            None => {
                passed += 1;
                println!("ok   {}", v.name);
            }
            Some(m) => {
                failed += 1;
                println!("FAIL {}: {m}", v.name);
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
