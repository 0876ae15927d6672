// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelprovider.h"

#include <QTimer>

namespace brieflow {

CallHandle::CallHandle(ModelProvider *provider, quint64 id)
    : m_provider(provider)
    , m_id(id)
{}

void CallHandle::abort() const
{
    // One read of the guarded pointer (GCC -O2 can't tell two reads give the same answer).
    if (ModelProvider *provider = m_provider.data(); provider && m_id != 0)
        provider->abortCall(m_id);
}

ModelProvider::~ModelProvider() = default;

CallHandle ModelProvider::streamPrediction(const Prediction &prediction, QObject *context,
                                           StreamChunksCallback onChunks,
                                           ProviderCallback<StreamEnd> done)
{
    Q_UNUSED(prediction)
    Q_UNUSED(onChunks)
    ProviderError error;
    error.kind = ProviderError::Kind::InvalidRequest;
    error.mayHaveReachedServer = false;
    error.detail = QStringLiteral("This provider does not stream outputs");
    QTimer::singleShot(0, context, [done = std::move(done), error] { done(fail(error)); });
    return {};
}

} // namespace brieflow
