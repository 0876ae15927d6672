// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>

#include <QTest>

#include "core/replicate/replicateclient.h"
#include "tests/replicate/replicatetestdata.h"
#include "tests/support/fakeclock.h"
#include "tests/support/fakehttpserver.h"

namespace brieflow::test {

/** A token nobody would type: tests search every error, body and log line for it. */
inline const QString kCanaryToken = QStringLiteral("r8_CanaryT0ken9f3b7c1e2d4a6b8c0e1f2a3b4c5d");

/** Collects the one callback of a provider call. */
template<typename T>
struct Waiter {
    std::optional<ProviderResult<T>> result;
    int calls = 0;

    ProviderCallback<T> callback()
    {
        return [this](const ProviderResult<T> &r) {
            ++calls;
            result.emplace(r);
        };
    }
    /** Spins the event loop until the callback ran (real time, but returns at once when done). */
    bool wait(int timeoutMs = 10000)
    {
        return QTest::qWaitFor([this] { return calls > 0; }, timeoutMs);
    }
    const ProviderResult<T> &operator*() const { return *result; }
    const ProviderResult<T> *operator->() const { return &*result; }
};

/** A ReplicateClient on @p baseUrl with the fake clock and jitter pinned to the full backoff. */
inline std::unique_ptr<replicate::ReplicateClient>
makeClient(const QUrl &baseUrl, FakeClock *clock,
           const std::function<void(replicate::ReplicateClient::Options &)> &tweak = {})
{
    replicate::ReplicateClient::Options options;
    options.baseUrl = baseUrl;
    options.token = [] { return kCanaryToken; };
    options.clock = clock;
    options.random = [] { return 1.0; };
    if (tweak)
        tweak(options);
    return std::make_unique<replicate::ReplicateClient>(std::move(options));
}

/** A valid create request for @p model (90 s Cancel-After). */
inline CreateRequest makeCreateRequest(const QString &model)
{
    CreateRequest request;
    request.model = ModelRef::parse(model).value_or(ModelRef{});
    request.input = R"({"prompt":"a corgi","seed":42})";
    request.cancelAfter = std::chrono::seconds(90);
    return request;
}

/** A recorded response served with @p status. */
inline FakeHttpServer::Response recorded(int status, const QString &file)
{
    return FakeHttpServer::Response::file(status, replicateDataPath(file));
}

} // namespace brieflow::test
