// Precompiled header for test programs: the project's one plus GoogleTest/GoogleMock.
#pragma once

#include "pch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
