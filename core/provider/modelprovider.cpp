// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelprovider.h"

namespace brieflow {

CallHandle::CallHandle(ModelProvider *provider, quint64 id)
    : m_provider(provider)
    , m_id(id)
{}

void CallHandle::abort() const
{
    if (m_provider && m_id != 0)
        m_provider->abortCall(m_id);
}

ModelProvider::~ModelProvider() = default;

} // namespace brieflow
