// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>

#include <QStringList>

#include "core/outputs/outputerror.h"
#include "core/util/result.h"

class QUrl;

namespace brieflow {

/**
 * What output downloads may do. The defaults are Replicate's delivery hosts as seen in real
 * responses (https://replicate.delivery/pbxt/..., https://pbxt.replicate.delivery/...,
 * https://tjzk.replicate.delivery/...).
 */
struct OutputPolicy {
    /// Exact host names, or "*.example.com" for any subdomain of example.com (not itself).
    QStringList allowedHosts{QStringLiteral("replicate.delivery"),
                             QStringLiteral("*.replicate.delivery")};
    /// The sandbox: also allow http and https to 127.0.0.1, [::1] and localhost, any port.
    bool allowLoopback = false;
    qint64 maxBytes = 50LL * 1024 * 1024;
    int maxRedirects = 5;
    /// No bytes, headers or redirects for this long: the download fails with a Network error.
    std::chrono::milliseconds timeout{120000};
    /// Downloads on the wire at once; the rest wait in the downloader's own queue (not QNAM's).
    int maxConcurrent = 4;
};

/**
 * Whether @p url may be fetched under @p policy: https to an allowed host on the default port
 * (443), or, with allowLoopback, http/https to a loopback name; no user info. Checked before
 * connecting and again on every redirect. Host names are compared in their ASCII (punycode)
 * lower-case form; IP literals other than loopback only pass if listed verbatim.
 */
Result<void, OutputError> checkOutputUrl(const QUrl &url, const OutputPolicy &policy);

/** Whether @p host (lower-case ASCII) matches one of @p patterns ("a.b" or "*.a.b"). */
bool hostMatches(const QString &host, const QStringList &patterns);

} // namespace brieflow
