// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>

#include <QList>
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
    /// The sandbox: also allow http and https to 127.0.0.1, [::1] and localhost.
    bool allowLoopback = false;
    /// With allowLoopback: only these loopback ports (the sandbox's); empty means any port. Other
    /// local services are then as unreachable as any host off the allowlist.
    QList<quint16> loopbackPorts;
    qint64 maxBytes = 50LL * 1024 * 1024;
    int maxRedirects = 5;
    /// No bytes, headers or redirects for this long: the download fails with a Network error.
    std::chrono::milliseconds timeout{120000};
    /// Downloads on the wire at once; the rest wait in the downloader's own queue (not QNAM's).
    int maxConcurrent = 4;
    /// After the disk was full: how often the engine looks for free space again and, once there
    /// is some, downloads the outputs again (the prediction is not paid for again).
    std::chrono::milliseconds diskFullRecheck{10'000};
};

/**
 * Whether @p url may be fetched under @p policy: https to an allowed host on the default port
 * (443), or, with allowLoopback, http/https to a loopback name (on one of loopbackPorts, when
 * that is set); no user info. Checked before
 * connecting and again on every redirect. Host names are compared in their ASCII (punycode)
 * lower-case form; IP literals other than loopback only pass if listed verbatim.
 */
Result<void, OutputError> checkOutputUrl(const QUrl &url, const OutputPolicy &policy);

/** Whether @p host (lower-case ASCII) matches one of @p patterns ("a.b" or "*.a.b"). */
bool hostMatches(const QString &host, const QStringList &patterns);

} // namespace brieflow
