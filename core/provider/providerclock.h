// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <functional>

#include <QDateTime>

class QObject;

namespace brieflow {

/**
 * The time source of the provider code: wall-clock time (to read an HTTP-date Retry-After) and
 * delayed actions (retry backoff). SystemClock uses QTimer; tests plug in a fake they advance
 * by hand, so retry tests never sleep.
 */
class ProviderClock {
public:
    virtual ~ProviderClock();

    virtual QDateTime nowUtc() const = 0;
    /** Runs @p action on @p context's thread after @p delay, unless @p context is gone by then. */
    virtual void schedule(std::chrono::milliseconds delay, QObject *context,
                          std::function<void()> action) = 0;
};

/** The real clock: QDateTime::currentDateTimeUtc() and QTimer::singleShot (precise timers). */
class SystemClock final : public ProviderClock {
public:
    QDateTime nowUtc() const override;
    void schedule(std::chrono::milliseconds delay, QObject *context,
                  std::function<void()> action) override;

    /** A process-wide instance, for providers built without an explicit clock. */
    static SystemClock *instance();
};

} // namespace brieflow
