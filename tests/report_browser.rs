//! report.html in a real browser: headless Chromium opens it with no console messages and no
//! network requests (every request would have to go through a local proxy that counts them),
//! and its screenshot is not blank; zoomed in, the page does not scroll sideways and its charts
//! keep their size.
//!
//! Chromium is not part of a Rust toolchain: without it this test says so and passes, unless
//! CLEARANCE_REQUIRE_BROWSER is set (as `.ci/run` does after installing Debian's chromium).

use assert_cmd::Command;
use std::io::Read;
use std::net::TcpListener;
use std::sync::atomic::Ordering;
use std::sync::Arc;

fn chromium() -> Option<String> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(|c| c.to_string())
}

#[test]
fn report_opens_in_headless_chromium_without_errors_or_network() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CLEARANCE_REQUIRE_BROWSER").is_none(),
            "CLEARANCE_REQUIRE_BROWSER is set but no chromium was found"
        );
        eprintln!("skipped: no chromium on this machine (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("clearance")
        .unwrap()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "20",
            "--quiet",
        ])
        .arg("--out")
        .arg(dir.path())
        .arg("--report")
        .assert()
        .success();
    let report = dir.path().join("report.html");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(
        html.matches("<svg").count() >= 6,
        "every chart inlined as SVG"
    );

    // A proxy that only counts connections: any network request from the page lands here.
    let proxy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = proxy.local_addr().unwrap().port();
    proxy.set_nonblocking(true).unwrap();
    let hits = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let h = hits.clone();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let s = stop.clone();
    let counter = std::thread::spawn(move || {
        while !s.load(Ordering::Relaxed) {
            if let Ok((mut c, _)) = proxy.accept() {
                let mut buf = [0u8; 512];
                let n = c.read(&mut buf).unwrap_or(0);
                let line = String::from_utf8_lossy(&buf[..n]);
                h.lock()
                    .unwrap()
                    .push(line.lines().next().unwrap_or("").to_string());
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    });
    let shot = dir.path().join("report.png");
    let profile = dir.path().join("profile");
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2400",
        ])
        .arg(format!("--proxy-server=http://127.0.0.1:{port}"))
        .arg("--proxy-bypass-list=<-loopback>")
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", report.display()))
        .output()
        .unwrap();
    stop.store(true, Ordering::Relaxed);
    counter.join().unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "chromium failed:\n{log}");
    let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert!(
        console.is_empty(),
        "console messages:\n{}",
        console.join("\n")
    );
    // Chromium's own update, clock and account services call home whatever the page is; every
    // other request would come from the report.
    const BROWSER_INTERNAL: [&str; 3] = [
        "clients2.google.com",
        "update.googleapis.com",
        "accounts.google.com",
    ];
    let requests = hits.lock().unwrap().clone();
    let from_page: Vec<&String> = requests
        .iter()
        .filter(|r| !BROWSER_INTERNAL.iter().any(|h| r.contains(h)))
        .collect();
    assert!(
        from_page.is_empty(),
        "the report made network requests: {from_page:?}"
    );
    for needle in [
        "src=\"http",
        "href=\"http",
        "url(http",
        "<script src",
        "<link ",
    ] {
        assert!(
            !html.contains(needle),
            "report.html refers to an outside resource: {needle}"
        );
    }

    let img = image::open(&shot).unwrap().to_rgb8();
    assert_eq!(img.width(), 1280);
    let mut colours = std::collections::HashSet::new();
    let mut ink = 0usize;
    for p in img.pixels() {
        colours.insert(p.0);
        if p.0.iter().any(|c| *c < 200) {
            ink += 1;
        }
    }
    let frac = ink as f64 / (img.width() * img.height()) as f64;
    assert!(
        colours.len() > 50,
        "screenshot has {} colours",
        colours.len()
    );
    assert!(frac > 0.01, "screenshot is nearly blank ({frac})");
    if let Some(keep) = std::env::var_os("CLEARANCE_KEEP_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }

    // Zoomed in: at 500 CSS pixels wide (a 1,280-pixel window at 256%; headless Chromium opens
    // no narrower window) the page does not scroll sideways, its wide tables and charts scroll
    // in their own boxes, and every chart stays at least 50 em wide, so that zooming enlarges
    // its text (the charts had shrunk to the page, 468 pixels, and the page had been 674 wide).
    // The report has no script: a copy measures itself, and Chromium prints the measures.
    let probe = dir.path().join("probe.html");
    let script = "<script>window.addEventListener('load',()=>{const w=[...document.querySelectorAll('figure svg')].map(s=>Math.round(s.getBoundingClientRect().width));const o=[...document.querySelectorAll('.tw,figure')].filter(b=>b.getBoundingClientRect().right>window.innerWidth+1).length;document.body.setAttribute('data-probe',[document.documentElement.scrollWidth,window.innerWidth,o,Math.min(...w),w.length].join(' '));});</script></body>";
    std::fs::write(&probe, html.replace("</body>", script)).unwrap();
    let out = std::process::Command::new(chromium().unwrap())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--window-size=500,900",
            "--dump-dom",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile2").display()
        ))
        .arg(format!("file://{}", probe.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let at = dom.find("data-probe=\"").expect("the probe ran") + "data-probe=\"".len();
    let m: Vec<f64> = dom[at..dom[at..].find('"').unwrap() + at]
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    let [page, viewport, boxes_out, narrowest, charts] = m[..] else {
        panic!("{m:?}")
    };
    assert_eq!(viewport, 500.0, "{m:?}");
    assert_eq!(page, viewport, "the page scrolls sideways: {m:?}");
    assert_eq!(
        boxes_out, 0.0,
        "a table or chart box is wider than the page: {m:?}"
    );
    assert_eq!(charts, 6.0, "{m:?}");
    assert!(narrowest >= 790.0, "a chart shrank with the page: {m:?}");
}
